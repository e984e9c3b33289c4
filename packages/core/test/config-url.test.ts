import { describe, expect, it } from 'vitest';
import { configFromUrl } from '../src/config/config-from-url.js';
import { ConfigFieldError } from '../src/config/config-field-error.js';
import { newDefaultConfig } from '../src/config/default-config.js';
import { redactUrl } from '../src/config/redact.js';

const defaults = newDefaultConfig('/registry');

const failure = (fn: () => unknown): ConfigFieldError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigFieldError);
    return err as ConfigFieldError;
  }
  throw new Error('expected a ConfigFieldError');
};

describe('configFromUrl: every URL form', () => {
  it.each([
    ['memory:shared-1', 'memory', ['shared-1']],
    ['memory://shared-2', 'memory', ['shared-2']],
    ['sqlite:./data.db', 'sqlite', ['./data.db']],
    ['sqlite:data.db', 'sqlite', ['data.db']],
    ['sqlite:/abs/path.db', 'sqlite', ['/abs/path.db']],
    ['sqlite:///abs/path.db', 'sqlite', ['/abs/path.db']],
    ['sqlite://./rel/state.db', 'sqlite', ['./rel/state.db']],
    ['sqlite::memory:', 'sqlite', [':memory:']],
    ['etcd3://h1:2379,h2:2379', 'etcd3', ['http://h1:2379', 'http://h2:2379']],
    ['etcd3://127.0.0.1', 'etcd3', ['http://127.0.0.1:2379']],
    ['etcd3://[::1]:23790', 'etcd3', ['http://[::1]:23790']],
    ['http://127.0.0.1:2379', 'etcd3', ['http://127.0.0.1:2379']],
    ['https://a.example:2379,https://b.example:2379', 'etcd3', ['https://a.example:2379', 'https://b.example:2379']],
    ['https://a:2379,b:2380', 'etcd3', ['https://a:2379', 'https://b:2380']],
    ['HTTP://h:1/', 'etcd3', ['http://h:1']],
    ['redis://127.0.0.1:6380', 'redis', ['redis://127.0.0.1:6380']],
    ['redis://localhost', 'redis', ['redis://localhost:6379']],
    ['redis://app:pw@10.0.0.1:6379/2', 'redis', ['redis://app:pw@10.0.0.1:6379/2']],
    ['redis://:pw@h:6379/', 'redis', ['redis://:pw@h:6379']],
    ['rediss://h:6390/0', 'redis', ['rediss://h:6390/0']],
  ])('%s', (url, type, serverList) => {
    const config = configFromUrl(url);
    expect(config.type).toBe(type);
    expect(config.transport.serverList).toEqual(serverList);
    // Everything else is newDefaultConfig's.
    expect(config.prefix).toBe('/registry');
    expect(config.compactionIntervalMs).toBe(defaults.compactionIntervalMs);
    expect(config.leaseManagerConfig).toEqual(defaults.leaseManagerConfig);
    expect(config.transport.keyFile).toBe('');
    expect(config.transport.trustedCAFile).toBe('');
  });

  it('redis topology goes into driverOptions: none for standalone, cluster, sentinel', () => {
    expect(configFromUrl('redis://h:1').driverOptions).toBeUndefined();
    const cluster = configFromUrl('redis+cluster://u:p@h1:7000,h2:7001');
    expect(cluster.transport.serverList).toEqual(['redis://u:p@h1:7000', 'redis://u:p@h2:7001']);
    expect(cluster.driverOptions).toEqual({ topology: 'cluster' });
    const tlsCluster = configFromUrl('rediss+cluster://h1:7000');
    expect(tlsCluster.transport.serverList).toEqual(['rediss://h1:7000']);
    const sentinel = configFromUrl('redis+sentinel://:pw@s1,s2:26380/mymaster/3');
    expect(sentinel.transport.serverList).toEqual(['redis://:pw@s1:26379/3', 'redis://:pw@s2:26380/3']);
    expect(sentinel.driverOptions).toEqual({ topology: 'sentinel', masterName: 'mymaster' });
    expect(configFromUrl('rediss+sentinel://s1:1/m').transport.serverList).toEqual(['rediss://s1:1']);
  });

  it('memory: is a private store: a fresh name per URL, shared by every storage of that Config', () => {
    const a = configFromUrl('memory:');
    const b = configFromUrl('memory://');
    expect(a.type).toBe('memory');
    expect(a.transport.serverList).toHaveLength(1);
    expect(a.transport.serverList[0]).not.toBe(b.transport.serverList[0]);
    // A name given by URL can never collide with a private one.
    expect(() => configFromUrl(`memory:${a.transport.serverList[0]}`)).toThrow(ConfigFieldError);
  });

  it('overrides set the other fields; driverOptions merge over the URL topology', () => {
    const config = configFromUrl('redis+cluster://h:1', {
      prefix: '/apps',
      compactionIntervalMs: 0,
      transport: { trustedCAFile: '/ca.pem' },
      driverOptions: { minReplicas: 1 },
    });
    expect(config.prefix).toBe('/apps');
    expect(config.compactionIntervalMs).toBe(0);
    expect(config.transport).toEqual({ serverList: ['redis://h:1'], keyFile: '', certFile: '', trustedCAFile: '/ca.pem' });
    expect(config.driverOptions).toEqual({ topology: 'cluster', minReplicas: 1 });
  });
});

describe('configFromUrl: every bad input is a ConfigFieldError naming the field', () => {
  it.each([
    ['', 'a backend URL is required'],
    [' sqlite:x.db', 'leading or trailing spaces'],
    ['./data.db', 'has no scheme'],
    ['C:\\data.db', 'has no scheme'],
    ['cassandra://h:9042', 'unsupported scheme "cassandra:"'],
    ['memory:a/b', 'invalid memory store name'],
    ['sqlite:', 'needs a file path'],
    ['sqlite://', 'needs a file path'],
    ['sqlite:./x.db?mode=ro', 'no query'],
    ['etcd3:h:2379', 'expected etcd3://'],
    ['etcd3://', 'no host given'],
    ['etcd3://h1:2379,,h2:2379', 'empty entry'],
    ['etcd3://h:0', 'invalid port "0"'],
    ['etcd3://h:65536', 'invalid port "65536"'],
    ['etcd3://h:abc', 'invalid port "abc"'],
    ['etcd3://h_1:2379', 'invalid host "h_1"'],
    ['etcd3://[::1', 'invalid host'],
    ['etcd3://h:2379/v3', 'take no path'],
    ['http://h:2379?x=1', 'no query'],
    ['http://', 'no host given'],
    ['redis://', 'no host given'],
    ['redis:h:6379', 'expected redis://'],
    ['redis://h1:1,h2:2', 'takes one host'],
    ['redis://h:1/x', 'invalid database number "x"'],
    ['redis://h:1/-1', 'invalid database number'],
    ['redis://h:1?db=2', 'no query'],
    ['redis+cluster://h:1/2', 'only database 0'],
    ['redis+sentinel://h:1', 'needs the master name'],
    ['redis+sentinel://h:1/', 'needs the master name'],
    ['redis+sentinel://h:1/bad name', 'invalid sentinel master name'],
    ['redis+sentinel://h:1/m/1/2', 'expected redis+sentinel://'],
    ['redis+sentinel://h:1/m/x', 'invalid database number'],
  ])('%j → %s', (url, message) => {
    const err = failure(() => configFromUrl(url));
    expect(err.field).toBe('url');
    expect(err.code).toBe('InvalidConfig');
    expect(err.message).toContain(message);
    expect(err.message).toMatch(/^invalid storage config: url: /);
  });

  it.each([
    ['compactionIntervalMs', { compactionIntervalMs: -1 }],
    ['healthcheckTimeoutMs', { healthcheckTimeoutMs: Number.NaN }],
    ['leaseManagerConfig.reuseDurationSeconds', { leaseManagerConfig: { reuseDurationSeconds: 1.5 } }],
    ['leaseManagerConfig.maxObjectCount', { leaseManagerConfig: { maxObjectCount: 'many' as unknown as number } }],
    ['transport.keyFile', { transport: { keyFile: 7 as unknown as string } }],
    ['transport.serverList', { transport: { serverList: ['x'] } }],
    ['type', { type: 'sqlite' }],
    ['prefix', { prefix: 3 as unknown as string }],
    ['driverOptions', { driverOptions: [] as unknown as Record<string, unknown> }],
  ])('override %s', (field, overrides) => {
    expect(failure(() => configFromUrl('memory:x', overrides)).field).toBe(field);
  });

  it('a password never appears in an error message', () => {
    const secret = 'hunter2';
    for (const url of [
      `redis://app:${secret}@h:notaport`,
      `redis://app:${secret}@h:1/x`,
      `redis://app:${secret}@h1:1,h2:2`,
      `redis://app:${secret}@bad_host:1`,
      `redis://app:${secret}@h:1?x`,
      `redis://app:pa/ss${secret}@h:99999`,
      `rediss+cluster://:${secret}@h:1/3`,
      `redis+sentinel://:${secret}@h:1`,
      `http://app:${secret}@h:2379`,
      `http://app:x/${secret}@h:2379`,
      `etcd3://app:${secret}@h:2379`,
      `cassandra://app:${secret}@h`,
    ]) {
      const err = failure(() => configFromUrl(url));
      expect(err.message, url).not.toContain(secret);
      expect(String((err as Error).stack), url).not.toContain(secret);
    }
  });

  it('redactUrl hides passwords, also unencoded ones, and keeps everything else', () => {
    expect(redactUrl('redis://app:s3cret@h:6379/0')).toBe('redis://app:***@h:6379/0');
    expect(redactUrl('redis://:p/a@ss@h:1')).toBe('redis://:***@h:1');
    expect(redactUrl('connect redis://u:p@h:1 and http://h:2379')).toBe('connect redis://u:***@h:1 and http://h:2379');
    expect(redactUrl('etcd3://h1:2379,h2:2379')).toBe('etcd3://h1:2379,h2:2379');
  });
});
