package io.tradingdr.core.port;

import io.tradingdr.core.fence.WriteLeaseStore;

/**
 * The strongly consistent store outside both regions' fate: write lease and epoch, orchestrator
 * lease, run journal and operator switches. One DynamoDB table in AWS (DynamoDB Local here).
 */
public interface ControlStore
    extends WriteLeaseStore, RunLeaseStore, RunJournal, OrchestratorSwitches {}
