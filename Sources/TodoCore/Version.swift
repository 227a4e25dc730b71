/// The product's version, shown by `--version`, `/health` and the image labels.
public enum TodoVersion {
    public static let current = "0.1.0"
}
