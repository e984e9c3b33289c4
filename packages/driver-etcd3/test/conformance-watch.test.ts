import { runWatchSuite } from '@storagebackend/conformance';
import { freshEtcdTarget } from './fresh-etcd-target.js';

runWatchSuite(freshEtcdTarget);
