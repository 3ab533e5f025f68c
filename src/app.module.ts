import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { AdminEmails } from './app.admin-emails.js';
import { AppController } from './app.controller.js';
import { authOptionsFromEnv } from './app.config.js';
import { AuthModule } from './auth/index.js';
import { HealthController } from './health.controller.js';
import { SignInPageController } from './sign-in-page/sign-in-page.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    AuthModule.forRootAsync({ inject: [ConfigService], useFactory: authOptionsFromEnv }),
    TerminusModule,
  ],
  controllers: [AppController, SignInPageController, HealthController],
  // Registered here to get ConfigService; AuthModule uses it as its `overrides` (ADMIN_EMAILS).
  providers: [AdminEmails],
})
export class AppModule {}
