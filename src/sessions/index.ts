/** The public surface of sessions: other folders import only what is exported here. */
export { MarketSession } from './market-session.entity';
export { SessionsModule } from './sessions.module';
