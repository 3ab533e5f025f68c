import { Controller, Get, UseGuards } from '@nestjs/common';
import {
  AuthGuard,
  RequireEmailVerified,
  Roles,
  Session,
  type SessionContainer,
  VerifySession,
} from './auth/index.js';

/**
 * The example app's routes: one open, one guarded, one where the session is optional, one for
 * admins only and one for verified emails only.
 */
@Controller()
export class AppController {
  @Get('public')
  public(): { message: string } {
    return { message: 'Anyone can read this.' };
  }

  @Get('me')
  @UseGuards(AuthGuard)
  me(@Session() session: SessionContainer) {
    return {
      userId: session.getUserId(),
      sessionHandle: session.getHandle(),
      accessTokenPayload: session.getAccessTokenPayload() as Record<string, unknown>,
    };
  }

  @Get('optional')
  @UseGuards(AuthGuard)
  @VerifySession({ sessionRequired: false })
  optional(@Session('userId') userId: string | undefined) {
    return userId === undefined ? { signedIn: false } : { signedIn: true, userId };
  }

  @Get('admin')
  @UseGuards(AuthGuard)
  @Roles('admin')
  admin(@Session('userId') userId: string) {
    return { message: 'Hello, admin.', userId };
  }

  @Get('verified')
  @UseGuards(AuthGuard)
  @RequireEmailVerified()
  verified(@Session('userId') userId: string) {
    return { message: 'Your email is verified.', userId };
  }
}
