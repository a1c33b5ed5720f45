import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MarketSession } from './market-session.entity';

@Module({
  imports: [TypeOrmModule.forFeature([MarketSession])],
  providers: [],
  exports: [],
})
export class SessionsModule {}
