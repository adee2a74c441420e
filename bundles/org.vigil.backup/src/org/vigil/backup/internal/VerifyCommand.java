package org.vigil.backup.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.backup.BackupService;
import org.vigil.api.backup.VerifyReport;
import org.vigil.api.command.Bytes;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JobAwait;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;

/** {@code vigil verify DIR}: re-checks a backup against its checksums; names missing, altered and extra files. */
@Component(service = VigilCommand.class)
public final class VerifyCommand implements VigilCommand {
    private final BackupService backups;

    @Activate
    public VerifyCommand(@Reference BackupService backups) {
        this.backups = backups;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "re-check a backup folder against its SHA256SUMS: missing, altered and extra files";
    }

    @Override
    public String help() {
        return """
                Usage: vigil verify DIR [--json]

                Reads every file listed in DIR/SHA256SUMS (or MD5SUMS), and every file DIR/manifest.json records,
                bypassing the page cache where the system allows, and compares its checksum. Reports files that are
                missing, altered (changed, damaged or cut short), unreadable (I/O errors: a failing drive) and extra
                (in DIR but not listed, such as an unfinished .part copy); a checksum list that disagrees with the
                manifest is reported as ALTERED SHA256SUMS. A list with lines that are not checksum lines, or that
                names no file, is refused. Changes nothing. Works on any folder made by 'vigil backup' or sha256sum.
                Progress goes to standard error once a second.

                Exit code: 0 every listed file is intact (extra files are listed but allowed), 1 something is missing,
                altered or unreadable, or DIR is not a backup, 2 wrong usage.
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("verify", inv.args(), Set.of(), Set.of("json"));
        String dir = a.require(0, "the backup folder (vigil verify DIR)", "verify");
        if (a.positional().size() > 1) {
            throw CommandException.usage("Give one backup folder; see 'vigil verify --help'.");
        }
        VerifyReport r = JobAwait.await(backups.verify(Path.of(dir)), inv, new ProgressLine()::line,
                () -> "The verification was cancelled.");
        if (inv.json() || a.flag("json")) {
            inv.out().println(JsonOutput.write(BackupJson.verify(r)));
        } else {
            print(r, inv.out());
        }
        return r.intact() ? 0 : 1;
    }

    private static void print(VerifyReport r, PrintWriter out) {
        list(out, "MISSING   ", r.missing());
        list(out, "ALTERED   ", r.altered());
        list(out, "UNREADABLE", r.unreadable());
        list(out, "EXTRA     ", r.extra());
        out.printf("Checked %s (%s) in %s against %s (%s).%n", Units.files(r.files()), Bytes.text(r.bytes()),
                Units.duration(r.elapsed()), r.directory().resolve(r.hash().sumsFile()),
                Bytes.rate(r.bytesPerSecond()));
        if (r.intact()) {
            out.println("Every listed file is intact" + (r.extra().isEmpty() ? "." : "; "
                    + Units.files(r.extra().size()) + " not in the list (EXTRA above)."));
        } else {
            out.printf("The backup is damaged: %d missing, %d altered, %d unreadable%s.%n", r.missing().size(),
                    r.altered().size(), r.unreadable().size(),
                    r.extra().isEmpty() ? "" : ", " + r.extra().size() + " extra");
        }
    }

    private static void list(PrintWriter out, String label, List<String> paths) {
        for (String p : paths) {
            out.println(label + " " + p);
        }
    }
}
