import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppController } from './app.controller.js';
import { authOptionsFromEnv } from './app.config.js';
import { AuthModule } from './auth/index.js';
import { SignInPageController } from './sign-in-page/sign-in-page.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    AuthModule.forRootAsync({ inject: [ConfigService], useFactory: authOptionsFromEnv }),
  ],
  controllers: [AppController, SignInPageController],
})
export class AppModule {}
