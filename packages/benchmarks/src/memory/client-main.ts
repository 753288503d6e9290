/**
 * Entry of the benchmark's client process (forked by `ClientProcess`): runs each job the parent sends
 * over IPC and answers with its figures or its error. Exits when the parent goes away.
 */
import { serveRequests } from '../shared/forked-child';
import { runClientJob, type ClientFigures, type ClientJob } from './bench-clients';

serveRequests<ClientJob, ClientFigures>(runClientJob);
