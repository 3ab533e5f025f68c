import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthInfo, type AuthModuleOptions, InjectAuthOptions } from '../auth/index.js';
import { pageProviders, RECOVER_PATH, SignInPage, VERIFY_EMAIL_PATH } from './sign-in-page.js';

/** Serves the example sign-in page at `/`, on the API's own origin. */
@Controller()
export class SignInPageController {
  private readonly page: SignInPage;

  constructor(info: AuthInfo, @InjectAuthOptions() options: AuthModuleOptions) {
    this.page = new SignInPage({
      apiDomain: '',
      apiBasePath: info.apiBasePath,
      providers: pageProviders(options),
      mfa: Boolean(options.mfa?.totp),
      webauthn: Boolean(options.webauthn),
    });
  }

  @Get()
  @Header('Cache-Control', 'no-cache')
  index(@Res() res: Response): void {
    this.send(res, '/');
  }

  /** Where a provider sends the browser back ("Sign in with …"): the page finishes the sign-in. */
  @Get('callback/:provider')
  @Header('Cache-Control', 'no-cache')
  callback(@Param('provider') provider: string, @Res() res: Response): void {
    this.send(res, `/callback/${provider}`);
  }

  /**
   * The passkey recovery email's link: the page makes a new passkey with the token in the URL.
   * Under the auth APIs' path, but the SDK serves no GET there, so the request reaches this route.
   */
  @Get(RECOVER_PATH)
  @Header('Cache-Control', 'no-cache')
  recover(@Res() res: Response): void {
    this.send(res, RECOVER_PATH);
  }

  /** The verification email's link: the page verifies the email with the token in the URL. */
  @Get(VERIFY_EMAIL_PATH)
  @Header('Cache-Control', 'no-cache')
  verifyEmail(@Res() res: Response): void {
    this.send(res, VERIFY_EMAIL_PATH);
  }

  @Get('sign-in-page/:file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `/sign-in-page/${file}`);
  }

  @Get('sign-in-page/vendor/:file')
  @Header('Cache-Control', 'public, max-age=3600')
  vendor(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `/sign-in-page/vendor/${file}`);
  }

  private send(res: Response, path: string): void {
    const file = this.page.get(path);
    if (!file) throw new NotFoundException(`No page file ${path}`);
    res.type(file.type).send(file.body);
  }
}
