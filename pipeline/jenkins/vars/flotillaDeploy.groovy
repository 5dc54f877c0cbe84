// flotillaDeploy(): the deploy step of every Flotilla job (seed 003: AWS credentials, the EKS
// context, then the deployment): verifies the signatures, helm upgrade --install --atomic --wait by
// digest, smoke test; a failed smoke test rolls the release back and fails the build.
void call() {
  withCredentials([
    [$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'flotilla-aws-deploy'],
    file(credentialsId: 'flotilla-cosign-pub', variable: 'COSIGN_PUBLIC_KEY'),
  ]) {
    sh 'pipeline/cluster-login'
    sh 'pipeline/deploy'
    int smoke = sh(script: 'pipeline/smoke', returnStatus: true)
    if (smoke != 0) {
      sh 'pipeline/rollback'
      error('smoke test failed: the release was rolled back')
    }
  }
}
