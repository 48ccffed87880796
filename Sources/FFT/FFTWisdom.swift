import CFFTW

/// FFTW wisdom: the process-wide record of fastest algorithms found by
/// planning, which makes later planning of the same sizes nearly free.
///
/// Save it after an expensive ``FFTRigor/measure`` or ``FFTRigor/patient``
/// run and load it at start-up. Wisdom depends on the machine and the FFTW
/// build; FFTW rejects wisdom from a different build when it is loaded. All
/// three calls take the FFTW planner lock, since wisdom is planner state.
public enum FFTWisdom {
    /// Adds the wisdom in the file at `path` (`fftwf_import_wisdom_from_filename`)
    /// to what the process already has.
    ///
    /// - Throws: ``FFTError`` naming `path` when the file cannot be opened or
    ///   is not single-precision FFTW wisdom; wisdom already held is kept.
    public static func load(from path: String) throws {
        try FFTWPlannerLock.withLock { (_) throws(FFTError) in
            try fftwCall(.importWisdom(path: path)) {
                fftwf_import_wisdom_from_filename(path) != 0 ? () : nil
            }
        }
    }

    /// Writes all the process's wisdom to `path` (`fftwf_export_wisdom_to_filename`),
    /// replacing the file.
    ///
    /// - Throws: ``FFTError`` naming `path` when the file cannot be written.
    public static func save(to path: String) throws {
        try FFTWPlannerLock.withLock { (_) throws(FFTError) in
            try fftwCall(.exportWisdom(path: path)) {
                fftwf_export_wisdom_to_filename(path) != 0 ? () : nil
            }
        }
    }

    /// Discards all wisdom (`fftwf_forget_wisdom`). Plans already made keep
    /// working; only future planning is affected.
    public static func forget() {
        try? FFTWPlannerLock.withLock { _ in fftwf_forget_wisdom() }
    }
}
