package org.mailwarden.internal.config;

import java.time.Duration;

/**
 * One quota: at most {@code count} tokens per {@code period}, named by its configuration key
 * (without prefix) so a refusal can say which limit refused.
 *
 * @param key the configuration key, for example {@code limit.messages-per-minute}
 * @param count tokens per period, positive
 * @param period the period
 */
public record Limit(String key, long count, Duration period) {}
