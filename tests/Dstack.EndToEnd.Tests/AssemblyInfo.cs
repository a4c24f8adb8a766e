// End-to-end tests start real servers, runners and jobs: run them one at a time so they do not fight over the two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
