import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How long /api/ready waits for the database before calling it unreachable. */
const READY_TIMEOUT_MS = 3000;

@Injectable()
export class HealthService {
  constructor(private readonly dataSource: DataSource) {}

  async assertDatabaseReachable(): Promise<void> {
    if (!this.dataSource.isInitialized || !(await this.pings())) {
      throw new ServiceUnavailableException('Database unreachable');
    }
  }

  private async pings(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    const ping = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
