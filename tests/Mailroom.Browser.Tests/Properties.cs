// Each test starts a server and a browser; on a small machine they are steadier one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
