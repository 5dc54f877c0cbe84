// flotillaPerService(): the branches of a `parallel` step, one per changed service, each building
// its image, its SBOM and running the scan gate on it.
Map call() {
  Map branches = [:]
  for (String name : env.CHANGED_SERVICES.split('\n')) {
    String svc = name.trim()
    if (svc) {
      branches[svc] = {
        withEnv(["SVC=${svc}"]) {
          sh 'pipeline/build-images "$SVC"'
          sh 'pipeline/sbom "$SVC"'
          sh 'pipeline/scan "$SVC"'
        }
      }
    }
  }
  return branches
}
