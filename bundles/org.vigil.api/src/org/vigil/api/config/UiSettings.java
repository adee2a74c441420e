package org.vigil.api.config;

/** The workbench's remembered state: a component property type for the PID {@value #PID}. */
public @interface UiSettings {
    String PID = "org.vigil.ui";

    /** The live grid: {@code auto} or columns x rows such as {@code 3x3} (1 to 8 each). */
    String gridLayout() default "auto";

    /** The window's size and place as {@code WIDTHxHEIGHT+X+Y} ({@code 1280x720+0+0}); empty lets the system choose. */
    String windowGeometry() default "";

    /** Whether the window was maximized ({@link #windowGeometry()} keeps its size when not maximized). */
    boolean windowMaximized() default false;

    /** The id of the view shown last ({@code live}, {@code playback}, ...); empty for the default view. */
    String lastView() default "";

    /** Camera ids in the order of their tiles; cameras not listed follow in id order. */
    String[] tileOrder() default {};
}
