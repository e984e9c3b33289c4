/**
 * What a backend URL selects: the driver type, its `transport.serverList`, and the driver options the URL implies
 * (Redis topology). The rest of a Config comes from defaults, files, environment or overrides.
 */
export interface BackendSelection {
  readonly type: string;
  readonly serverList: readonly string[];
  readonly driverOptions?: Readonly<Record<string, unknown>>;
}
