/**
 * The workbench's plugin API: a view is a {@link org.vigil.ui.ViewContribution} DS service, a product's look is a
 * {@link org.vigil.ui.Branding} service, and the status bar shows what {@link org.vigil.ui.StatusSource} services
 * report.
 * <p>
 * Threading: the workbench owns one display thread ({@code vigil-ui}). Everything a view does with widgets happens
 * there, and nothing there waits: service calls go through {@link org.vigil.ui.ViewContext#run} (the shared
 * scheduler) or {@link org.vigil.ui.ViewContext#apply} (a job's result), whose results are applied on the display
 * thread only while the view is still open. Frequent updates go through {@link org.vigil.ui.ViewContext#updates},
 * which keeps at most one {@code asyncExec} pending per view.
 * <p>
 * Since 1.1 the views share their form pieces ({@link org.vigil.ui.Forms}) and the picture of a camera
 * ({@link org.vigil.ui.FramePicture}) from here.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.vigil.ui;
