import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppController } from './app.controller.js';
import { authOptionsFromEnv } from './app.config.js';
import { AuthModule } from './auth/index.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    AuthModule.forRootAsync({ inject: [ConfigService], useFactory: authOptionsFromEnv }),
  ],
  controllers: [AppController],
})
export class AppModule {}
