package org.vigil.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.vigil.api.job.Job;

/**
 * Asks what to do with running jobs when the window is closed. It does not block: it opens, and the answer arrives
 * through the callback when the user clicks. Closing the dialog itself means "don't close".
 */
final class ClosingDialog {
    enum Choice {
        /** Close the window; Vigil keeps running until the jobs end, then stops. */
        FINISH_IN_BACKGROUND,
        /** Cancel the jobs, wait for them (bounded), then close and stop. */
        STOP_JOBS,
        /** Keep the window open. */
        STAY
    }

    static final String FINISH_LABEL = "Finish in the background";
    static final String STOP_LABEL = "Stop and close";
    static final String STAY_LABEL = "Don't close";

    private final Shell shell;
    private final Label question;
    private final List<Button> buttons = new ArrayList<>();
    private final Consumer<Choice> answer;
    private boolean answered;

    ClosingDialog(Shell parent, WorkbenchTheme theme, String productName, List<Job<?>> jobs, Consumer<Choice> answer) {
        this.answer = answer;
        shell = new Shell(parent, SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL);
        shell.setText("Close " + productName + "?");
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 16;
        layout.marginHeight = 14;
        layout.verticalSpacing = 10;
        shell.setLayout(layout);

        boolean one = jobs.size() == 1;
        Label heading = new Label(shell, SWT.WRAP);
        heading.setFont(theme.heading());
        heading.setText(one ? "A job is still running" : jobs.size() + " jobs are still running");
        question = new Label(shell, SWT.WRAP);
        GridData qd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        qd.widthHint = 460;
        question.setLayoutData(qd);
        question.setText(describe(jobs) + "\n\nWhat should happen to " + (one ? "it" : "them") + "?");

        Label keep = new Label(shell, SWT.WRAP);
        keep.setForeground(theme.muted());
        GridData kd = new GridData(SWT.FILL, SWT.CENTER, true, false);
        kd.widthHint = 460;
        keep.setLayoutData(kd);
        keep.setText(FINISH_LABEL + ": the window closes, " + productName + " keeps running without it until "
                + (one ? "the job ends" : "the jobs end") + ", then stops.\n" + STOP_LABEL + ": "
                + (one ? "the job is" : "the jobs are") + " cancelled (the file in hand is rolled back), then "
                + productName + " stops.");

        Composite row = new Composite(shell, SWT.NONE);
        row.setLayoutData(new GridData(SWT.END, SWT.CENTER, true, false));
        row.setLayout(new GridLayout(3, true));
        button(row, FINISH_LABEL, Choice.FINISH_IN_BACKGROUND);
        button(row, STOP_LABEL, Choice.STOP_JOBS);
        Button stay = button(row, STAY_LABEL, Choice.STAY);
        shell.setDefaultButton(stay);
        shell.addListener(SWT.Close, e -> {
            if (answered) {
                e.doit = false; // the jobs are being stopped: the window closes by itself
            } else {
                reply(Choice.STAY);
            }
        });
        shell.pack();
        Rectangle p = parent.getBounds();
        Point size = shell.getSize();
        shell.setLocation(p.x + Math.max(0, (p.width - size.x) / 2), p.y + Math.max(0, (p.height - size.y) / 3));
    }

    private Button button(Composite row, String text, Choice choice) {
        Button b = new Button(row, SWT.PUSH);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        b.addListener(SWT.Selection, e -> reply(choice));
        buttons.add(b);
        return b;
    }

    static String describe(List<Job<?>> jobs) {
        List<String> parts = new ArrayList<>();
        for (Job<?> j : jobs) {
            String p = j.progress().fraction().map(f -> String.format(Locale.ROOT, " (%d %%)", Math.round(f * 100)))
                    .orElse("");
            parts.add("'" + j.name() + "'" + p);
        }
        return (jobs.size() == 1 ? "The job " + parts.get(0) + " has not finished."
                : "These jobs have not finished: " + String.join(", ", parts) + ".");
    }

    void open() {
        shell.open();
    }

    Shell shell() {
        return shell;
    }

    /** Shows that the jobs are being stopped; the dialog stays until the window closes. */
    void showStopping(String text) {
        if (shell.isDisposed()) {
            return;
        }
        buttons.forEach(b -> b.setEnabled(false));
        question.setText(text);
        shell.layout(true, true);
    }

    private void reply(Choice choice) {
        if (answered) {
            return;
        }
        answered = true;
        if (choice == Choice.STAY) {
            dispose();
        }
        answer.accept(choice);
    }

    void dispose() {
        if (!shell.isDisposed()) {
            shell.dispose();
        }
    }
}
