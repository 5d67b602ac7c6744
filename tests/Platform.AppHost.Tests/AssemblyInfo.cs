// Each test class starts the whole application (five processes and the orchestrator); on two
// cores, two at once only make both slower and their timeouts less meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
