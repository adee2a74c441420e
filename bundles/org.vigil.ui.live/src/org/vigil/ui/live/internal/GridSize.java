package org.vigil.ui.live.internal;

/** The grid layouts a user can choose: n x n tiles. */
enum GridSize {
    ONE(1, "1"), TWO(2, "2x2"), THREE(3, "3x3"), FOUR(4, "4x4");

    final int columns;
    final String label;

    GridSize(int columns, String label) {
        this.columns = columns;
        this.label = label;
    }

    int tiles() {
        return columns * columns;
    }
}
