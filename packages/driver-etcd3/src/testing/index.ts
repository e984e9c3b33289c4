export { startEtcd, type EtcdServer, type EtcdTlsOptions, type StartEtcdOptions } from './start-etcd.js';
export { startEtcdCluster, type EtcdCluster, type StartEtcdClusterOptions } from './start-etcd-cluster.js';
export { generateTestCertificates, type TestCertificates } from './certs.js';
export { freePort, freePorts } from './free-port.js';
