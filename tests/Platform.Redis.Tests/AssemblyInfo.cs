// Test classes that kill servers run their own redis-server; the rest share one, so classes may run in parallel.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
