// The lint rule and the ESLint config are plain ES modules; the layering test narrows what it reads.
declare module '*.mjs' {
  const value: unknown;
  export default value;
}
