/** The public surface of streaming: other folders import only what is exported here. */
export { parseInstrumentRequest } from './client-messages';
export { AppIoAdapter } from './socket-io.adapter';
export { SocketRequests } from './socket-requests';
export { StreamingModule } from './streaming.module';
