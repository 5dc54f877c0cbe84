// The Jenkinsfile and the shared library parsed by the Groovy compiler Jenkins bundles, offline
// (no Jenkins distribution is reachable here): every file must compile to an AST (the CONVERSION
// phase: syntax, not types), and a Jenkinsfile must have the declarative skeleton Jenkins
// requires: pipeline { agent ...; stages { stage(...) { steps | stages | parallel | matrix } } }.
// Usage: java -cp groovy-2.4.21.jar ci/pipelines/JenkinsfileCheck.java FILE...   (exit 1 on a problem)
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;

public class JenkinsfileCheck {
  private static final List<String> problems = new ArrayList<>();
  private static final Set<String> STAGE_BODIES = Set.of("steps", "stages", "parallel", "matrix");

  public static void main(String[] args) {
    for (String path : args) {
      CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
      SourceUnit source = unit.addSource(new File(path));
      try {
        unit.compile(Phases.CONVERSION);
      } catch (MultipleCompilationErrorsException e) {
        problems.add(path + ": does not compile: " + e.getMessage().replaceAll("\\s+", " "));
        continue;
      }
      if (new File(path).getName().startsWith("Jenkinsfile")) checkDeclarative(path, source.getAST());
    }
    problems.forEach(System.out::println);
    System.out.println(problems.isEmpty() ? "ok: " + args.length + " file(s)" : problems.size() + " problem(s)");
    System.exit(problems.isEmpty() && args.length > 0 ? 0 : 1);
  }

  /** The method calls that are whole statements of a block (the DSL's sections). */
  private static List<MethodCallExpression> calls(Statement block) {
    List<MethodCallExpression> out = new ArrayList<>();
    if (!(block instanceof BlockStatement)) return out;
    for (Statement s : ((BlockStatement) block).getStatements()) {
      if (s instanceof ExpressionStatement && ((ExpressionStatement) s).getExpression() instanceof MethodCallExpression) {
        out.add((MethodCallExpression) ((ExpressionStatement) s).getExpression());
      }
    }
    return out;
  }

  /** The closure a section takes as its last argument (`stages { ... }`), or null. */
  private static ClosureExpression body(MethodCallExpression call) {
    if (!(call.getArguments() instanceof ArgumentListExpression)) return null;
    List<Expression> args = ((ArgumentListExpression) call.getArguments()).getExpressions();
    Expression last = args.isEmpty() ? null : args.get(args.size() - 1);
    return last instanceof ClosureExpression ? (ClosureExpression) last : null;
  }

  private static void checkDeclarative(String path, ModuleNode ast) {
    MethodCallExpression pipeline = null;
    for (MethodCallExpression call : calls(ast.getStatementBlock())) {
      if ("pipeline".equals(call.getMethodAsString())) pipeline = call;
    }
    if (pipeline == null || body(pipeline) == null) {
      problems.add(path + ": no top-level pipeline { } block (a scripted pipeline is not declarative)");
      return;
    }
    boolean agent = false, stages = false;
    for (MethodCallExpression section : calls(body(pipeline).getCode())) {
      String name = section.getMethodAsString();
      agent |= "agent".equals(name);
      if ("stages".equals(name)) {
        stages = true;
        checkStages(path, section);
      }
    }
    if (!agent) problems.add(path + ":" + pipeline.getLineNumber() + ": pipeline has no agent");
    if (!stages) problems.add(path + ":" + pipeline.getLineNumber() + ": pipeline has no stages");
  }

  private static void checkStages(String path, MethodCallExpression stages) {
    ClosureExpression block = body(stages);
    if (block == null || calls(block.getCode()).isEmpty()) {
      problems.add(path + ":" + stages.getLineNumber() + ": " + stages.getMethodAsString() + " holds no stage");
      return;
    }
    for (MethodCallExpression stage : calls(block.getCode())) {
      if (!"stage".equals(stage.getMethodAsString())) {
        problems.add(path + ":" + stage.getLineNumber() + ": only stage(...) may appear here, not " + stage.getMethodAsString());
        continue;
      }
      boolean hasBody = false;
      ClosureExpression stageBody = body(stage);
      if (stageBody != null) {
        for (MethodCallExpression section : calls(stageBody.getCode())) {
          String name = section.getMethodAsString();
          if (STAGE_BODIES.contains(name)) hasBody = true;
          if ("stages".equals(name) || "parallel".equals(name)) checkStages(path, section);
        }
      }
      if (!hasBody) problems.add(path + ":" + stage.getLineNumber() + ": stage needs steps, stages, parallel or matrix");
    }
  }
}
