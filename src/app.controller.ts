import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard, Session, type SessionContainer, VerifySession } from './auth/index.js';

/** The example app's routes: one open, one guarded, one where the session is optional. */
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
}
