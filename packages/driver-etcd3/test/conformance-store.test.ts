import { runStoreSuite } from '@storagebackend/conformance';
import { freshEtcdTarget } from './fresh-etcd-target.js';

runStoreSuite(freshEtcdTarget);
