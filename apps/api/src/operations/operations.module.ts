import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { SealedDataRotation } from './sealed-data-rotation';

@Module({
  imports: [SourcesModule],
  controllers: [HealthController, MetricsController],
  providers: [SealedDataRotation],
})
export class OperationsModule {}
