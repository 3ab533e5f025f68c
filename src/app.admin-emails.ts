import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import supertokens from 'supertokens-node';
import type { RecipeInterface as SessionFunctions } from 'supertokens-node/recipe/session';
import { PermissionClaim, UserRoleClaim } from 'supertokens-node/recipe/userroles';
import type { JSONObject } from 'supertokens-node/types';
import { type AuthOverrides, UserRolesService } from './auth/index.js';

/** The role `ADMIN_EMAILS` grants, the one `GET /admin` asks for. */
export const ADMIN_ROLE = 'admin';

/** `ADMIN_EMAILS`: comma-separated addresses, compared case-insensitively. */
export function adminEmails(config: ConfigService): Set<string> {
  return new Set(
    (config.get<string>('ADMIN_EMAILS') ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * `ADMIN_EMAILS`: a user with one of these emails gets the `admin` role when a session is made
 * for them, so at sign-up (email and password, passkey, a provider) and at sign-in (an account
 * made before its email was listed). The email need not be verified: a demo switch, not a way to
 * give production admins their role.
 *
 * A session override rather than an `afterSignUp` hook: hooks run once the session exists, so
 * its first access token would not carry the role, and `GET /admin` would refuse it.
 */
@Injectable()
export class AdminEmails implements AuthOverrides, OnApplicationBootstrap {
  private readonly emails: Set<string>;

  constructor(
    config: ConfigService,
    private readonly roles: UserRolesService,
  ) {
    this.emails = adminEmails(config);
  }

  /** The role exists before anyone can be given it. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.emails.size > 0) await this.roles.createRole(ADMIN_ROLE);
  }

  sessionFunctions(original: SessionFunctions): SessionFunctions {
    return {
      ...original,
      createNewSession: async (input) => {
        if (!(await this.grant(input.userId, input.tenantId))) {
          return original.createNewSession(input);
        }
        // The SDK built the payload's claims before this function: rebuild the role ones.
        let payload: JSONObject = { ...(input.accessTokenPayload as JSONObject | undefined) };
        for (const claim of [UserRoleClaim, PermissionClaim]) {
          const update = await claim.build(
            input.userId,
            input.recipeUserId,
            input.tenantId,
            payload,
            input.userContext,
          );
          payload = { ...payload, ...update };
        }
        return original.createNewSession({ ...input, accessTokenPayload: payload });
      },
    };
  }

  /** Gives a listed user the role in this tenant; whether they did not have it before. */
  private async grant(userId: string, tenantId: string): Promise<boolean> {
    if (this.emails.size === 0) return false;
    const user = await supertokens.getUser(userId);
    if (!user?.emails.some((email) => this.emails.has(email.toLowerCase()))) return false;
    return (await this.roles.addRoleToUser(userId, ADMIN_ROLE, tenantId)) === 'OK';
  }
}
