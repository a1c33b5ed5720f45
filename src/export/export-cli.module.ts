import { Module } from '@nestjs/common';
import { ExportCommand } from './export.command';
import { ExportModule } from './export.module';

/** `export`, imported by CliModule only (nest-commander cannot load under Jest; see CacheCliModule). */
@Module({ imports: [ExportModule], providers: [ExportCommand] })
export class ExportCliModule {}
