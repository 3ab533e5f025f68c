import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard, AuthModule, Roles, Session } from 'nest-supertokens';
import { authTestingOptions } from 'nest-supertokens/testing';

/** A user's app, as small as it gets: a guarded route and an admin-only route. */
@Controller()
class ProfileController {
  @Get('profile')
  @UseGuards(AuthGuard)
  profile(@Session('userId') userId: string) {
    return { userId };
  }

  @Get('admin')
  @UseGuards(AuthGuard)
  @Roles('admin')
  admin() {
    return { admin: true };
  }
}

@Module({
  imports: [AuthModule.forRoot(authTestingOptions({ roles: true }))],
  controllers: [ProfileController],
})
export class SampleAppModule {}
