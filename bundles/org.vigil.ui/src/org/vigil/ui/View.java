package org.vigil.ui;

import org.osgi.annotation.versioning.ConsumerType;

/** An open view, as created by {@link ViewContribution#create}. Every method runs on the display thread. */
@ConsumerType
public interface View {
    /** Gives the keyboard focus to the view's main control. */
    default void setFocus() {
    }

    /**
     * Releases what the view holds besides its widgets: images, fonts, GCs, listener registrations, running calls.
     * The workbench disposes the parent composite (and so every widget in it) afterwards. Must not throw.
     */
    void dispose();
}
