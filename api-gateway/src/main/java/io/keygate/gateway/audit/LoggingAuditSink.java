package io.keygate.gateway.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each entry as one key=value line on the {@code keygate.audit} logger. */
public final class LoggingAuditSink implements AuditSink {

    private static final Logger LOG = LoggerFactory.getLogger("keygate.audit");

    @Override
    public void record(AuditEntry e) {
        LOG.info("time={} principal={} issuer={} method={} path=\"{}\" workspace={} status={} client={} duration_ms={} outcome={}",
                e.time(), e.principal(), e.issuer(), e.method(), e.path(), e.workspace(), e.status(), e.clientAddress(),
                e.durationMillis(), e.outcome());
    }
}
