// Fault tests start servers and processes of their own; running classes in parallel on 2 cores
// only makes every timeout tighter.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
