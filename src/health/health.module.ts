import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { InfoController } from './info.controller';

@Module({
  controllers: [HealthController, InfoController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
