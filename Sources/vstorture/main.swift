// Crash-test writer: filled in by the persistence work.
