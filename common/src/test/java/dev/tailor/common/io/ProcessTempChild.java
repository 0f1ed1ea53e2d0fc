package dev.tailor.common.io;

import java.nio.file.Files;

/** A process that writes a file in its temporary folder, prints the folder, then waits for stdin to close. */
public final class ProcessTempChild {
    private ProcessTempChild() {
    }

    public static void main(String[] args) throws Exception {
        Files.writeString(ProcessTemp.newRunDir("run", "job-").resolve("partial.bin"), "half a run");
        System.out.println(ProcessTemp.dir());
        System.out.flush();
        System.in.read(); // until the test closes stdin, or kills this process
    }
}
