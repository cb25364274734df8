/**
 * The suppression list (addresses never mailed again) and the reputation guard of an application.
 *
 * <p>Types here are {@link org.jspecify.annotations.NullMarked @NullMarked}: a parameter or return
 * value may be null only where it is annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package org.mailwarden.suppression;

import org.jspecify.annotations.NullMarked;
