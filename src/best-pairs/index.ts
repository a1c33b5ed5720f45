/** The public surface of best-pairs: other folders import only what is exported here. */
export { BestPair } from './best-pair.entity';
export { BestPairsModule } from './best-pairs.module';
