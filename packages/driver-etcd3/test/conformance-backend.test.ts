import { runBackendSuite } from '@storagebackend/conformance';
import { freshEtcdTarget } from './fresh-etcd-target.js';

runBackendSuite(freshEtcdTarget);
