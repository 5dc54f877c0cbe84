// Negative control for npm-groovy-lint: an error-level finding (an empty catch block hides
// failures; CodeNarc's EmptyCatchBlock).
void call() {
  try {
    sh 'ci/steps/lint'
  } catch (Exception e) {
  }
}
