import { Controller, Get, NotFoundException, UseGuards } from '@nestjs/common';
import supertokens from 'supertokens-node';
import {
  AuthGuard,
  type AuthModuleOptions,
  InjectAuthOptions,
  RequireEmailVerified,
  Roles,
  Session,
  type SessionClaims,
  type SessionContainer,
  VerifySession,
} from './auth/index.js';

/** One way the user signs in, as `GET /profile` lists it. */
export interface ProfileLoginMethod {
  recipeId: string;
  email?: string;
  phoneNumber?: string;
  /** The provider, for a third-party login. */
  thirdPartyId?: string;
  /** Whether its email is verified (a login without an email counts as verified). */
  verified: boolean;
}

/** `GET /profile`: who the session's user is, as the sign-in page shows it. */
export interface Profile {
  userId: string;
  tenantId: string;
  /** The email of the login method this session signed in with, if it has one. */
  email: string | null;
  /** The phone number of that login method, if it has one. */
  phoneNumber: string | null;
  /** Whether that email is verified; null when the login method has no email (a phone). */
  emailVerified: boolean | null;
  /** The roles the session carries: what `@Roles()` checks. */
  roles: string[];
  loginMethods: ProfileLoginMethod[];
}

/**
 * The example app's routes: one open, two guarded, one where the session is optional, one for
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

  @Get('profile')
  @UseGuards(AuthGuard)
  async profile(@Session('claims') claims: SessionClaims): Promise<Profile> {
    const user = await supertokens.getUser(claims.userId);
    const loginMethods = user?.loginMethods ?? [];
    const current = loginMethods.find(
      (method) => method.recipeUserId.getAsString() === claims.recipeUserId,
    );
    return {
      userId: claims.userId,
      tenantId: claims.tenantId,
      email: current?.email ?? null,
      phoneNumber: current?.phoneNumber ?? null,
      emailVerified: current?.email ? current.verified : null,
      roles: claims.roles,
      loginMethods: loginMethods.map((method) => ({
        recipeId: method.recipeId,
        email: method.email,
        phoneNumber: method.phoneNumber,
        thirdPartyId: method.thirdParty?.id,
        verified: method.verified,
      })),
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
