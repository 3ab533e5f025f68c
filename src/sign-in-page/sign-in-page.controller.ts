import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthInfo } from '../auth/index.js';
import { SignInPage } from './sign-in-page.js';

/** Serves the example sign-in page at `/`, on the API's own origin. */
@Controller()
export class SignInPageController {
  private readonly page: SignInPage;

  constructor(info: AuthInfo) {
    this.page = new SignInPage({ apiDomain: '', apiBasePath: info.apiBasePath });
  }

  @Get()
  @Header('Cache-Control', 'no-cache')
  index(@Res() res: Response): void {
    this.send(res, '/');
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
