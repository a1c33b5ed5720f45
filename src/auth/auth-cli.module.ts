import { Module } from '@nestjs/common';
import { AuthModule } from './auth.module';
import { KeysCreateCommand, KeysListCommand, KeysRevokeCommand } from './keys.commands';

/** `keys:*` commands, imported by CliModule only (nest-commander cannot load under Jest, see JobsCliModule). */
@Module({
  imports: [AuthModule],
  providers: [KeysCreateCommand, KeysListCommand, KeysRevokeCommand],
})
export class AuthCliModule {}
