import { Controller, Get, NotFoundException, UseGuards } from '@nestjs/common';
import {
  AuthGuard,
  type AuthModuleOptions,
  InjectAuthOptions,
  RequireEmailVerified,
  Roles,
  Session,
  type SessionContainer,
  VerifySession,
} from './auth/index.js';

/**
 * The example app's routes: one open, one guarded, one where the session is optional, one for
 * admins only, one for verified emails only and one behind the second factor (`MFA=totp`).
 */
@Controller()
export class AppController {
  constructor(@InjectAuthOptions() private readonly authOptions: AuthModuleOptions) {}

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

  /** Only after the second factor (with `MFA=totp` in .env; without it there is none to ask). */
  @Get('mfa')
  @UseGuards(AuthGuard)
  @VerifySession({ mfa: true })
  mfa(@Session('userId') userId: string) {
    if (!this.authOptions.mfa) {
      throw new NotFoundException('No second factor here: set MFA=totp in .env to turn it on.');
    }
    return { message: 'Your second factor is done.', userId };
  }
}
