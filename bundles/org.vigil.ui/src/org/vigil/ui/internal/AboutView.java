package org.vigil.ui.internal;

import java.net.URL;
import java.util.List;
import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.vigil.ui.Branding;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/** The About view: the product's icon, name, version and about text, and what it runs on. */
@Component(service = ViewContribution.class)
public final class AboutView implements ViewContribution {
    private final String version;

    @Activate
    public AboutView(BundleContext context) {
        String v = context.getProperty("vigil.version");
        this.version = v == null || v.isBlank() ? context.getBundle().getVersion().toString() : v;
    }

    @Override
    public String id() {
        return "about";
    }

    @Override
    public String label() {
        return "About";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(AboutView.class.getResource("/icons/about.png"));
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        return new Panel(parent, context, version);
    }

    private static final class Panel implements View {
        private final Label icon;
        private Image image;

        Panel(Composite parent, ViewContext context, String version) {
            Branding branding = context.branding();
            Composite root = new Composite(parent, SWT.NONE);
            GridLayout layout = new GridLayout(2, false);
            layout.marginWidth = 32;
            layout.marginHeight = 32;
            layout.horizontalSpacing = 24;
            root.setLayout(layout);
            icon = new Label(root, SWT.NONE);
            GridData id = new GridData(SWT.CENTER, SWT.TOP, false, false);
            id.widthHint = 128;
            id.heightHint = 128;
            icon.setLayoutData(id);
            Composite text = new Composite(root, SWT.NONE);
            text.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
            text.setLayout(new GridLayout(1, false));
            Label name = new Label(text, SWT.NONE);
            name.setFont(context.theme().heading());
            name.setText(branding.productName());
            Label versionLabel = new Label(text, SWT.NONE);
            versionLabel.setText("Version " + version);
            versionLabel.setForeground(context.theme().muted());
            Label about = new Label(text, SWT.WRAP);
            GridData ad = new GridData(SWT.FILL, SWT.TOP, true, false);
            ad.widthHint = 560;
            about.setLayoutData(ad);
            about.setText(branding.aboutText());
            Label runtime = new Label(text, SWT.WRAP);
            runtime.setForeground(context.theme().muted());
            runtime.setText("Java " + System.getProperty("java.version") + " · SWT " + SWT.getVersion() + " ("
                    + SWT.getPlatform() + ") · " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
            // The icon file is read off the display thread; the Image is made and owned here.
            List<URL> urls = branding.icons();
            context.run("read the product icon", () -> Icons.pick(Icons.readAll(urls, "the product icon"), 128),
                    this::showIcon, e -> { });
        }

        private void showIcon(Optional<ImageData> data) {
            if (data.isEmpty() || icon.isDisposed()) {
                return;
            }
            ImageData d = data.get();
            image = new Image(icon.getDisplay(), d.width > 128 ? d.scaledTo(128, 128 * d.height / d.width) : d);
            icon.setImage(image);
        }

        @Override
        public void dispose() {
            if (image != null) {
                if (!icon.isDisposed()) {
                    icon.setImage(null);
                }
                image.dispose();
                image = null;
            }
        }
    }
}
