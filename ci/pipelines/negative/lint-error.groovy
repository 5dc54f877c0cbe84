// Negative control for npm-groovy-lint: an error-level finding (an empty catch block hides
// failures; CodeNarc's EmptyCatchBlock).
void call() {
  try {
    sh 'pipeline/lint'
  } catch (Exception e) {
  }
}
