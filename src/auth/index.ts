/** The public surface of auth: other folders import only what is exported here. */
export { ApiKey } from './api-key.entity';
export type { VerifiedKey } from './api-keys.service';
export { AuthModule } from './auth.module';
export { originAllowed, restCorsOptions } from './cors-policy';
export { ensureFirstKey } from './first-key';
export { CurrentKey, actorOf } from './request-auth';
export { SocketAuthService } from './socket-auth.service';
export { OwnRecords } from './request-auth';
