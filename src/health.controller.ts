import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SuperTokensHealthIndicator } from './auth/index.js';

/** `GET /health`: 200 while the SuperTokens core answers, 503 when it does not (terminus). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly superTokens: SuperTokensHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.superTokens.isHealthy('supertokens')]);
  }
}
