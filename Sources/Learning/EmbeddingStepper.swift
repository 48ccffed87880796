/// One optimizer (Adam or SGD with momentum) moving a block of coordinates, shared by the fit
/// and by out-of-sample projection so that both follow the same rule.
///
/// The caller owns the coordinates, the gradient and the moment buffers (2 × count values,
/// zero at the start); the stepper holds only the scalars that change from step to step.
struct EmbeddingStepper {
    private let optimizer: DInsightParameters.Optimizer
    private let alpha: Double, beta1: Double, beta2: Double, epsilon: Double
    private let eta: Double, beta: Double
    /// SGD's largest step per coordinate, 1/√a embedding units (where q falls to ½). The
    /// repulsive gradient grows as 1/d for nearly coincident points, and one unclamped step
    /// from such a pair throws a point far outside the layout, where nothing pulls it back.
    private let sgdStepLimit: Double
    /// beta1^t and beta2^t, for Adam's bias correction.
    private var beta1Power = 1.0, beta2Power = 1.0

    init(_ parameters: DInsightParameters) {
        optimizer = parameters.optimizer
        alpha = parameters.alpha
        beta1 = parameters.beta1
        beta2 = parameters.beta2
        epsilon = parameters.epsilon
        eta = parameters.eta
        beta = parameters.beta
        sgdStepLimit = 1 / parameters.a.squareRoot()
    }

    /// Moves the `count` coordinates at `y` one step against `gradient`, updating `moments`
    /// (Adam: first moments then second moments; SGD: the previous steps). SGD steps are
    /// clamped per coordinate to ±1/√a. Returns the squared length of the step, in embedding
    /// units².
    @inline(__always)
    mutating func step(
        _ y: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>,
        moments: UnsafeMutablePointer<Double>, count: Int
    ) -> Double {
        var length2 = 0.0
        switch optimizer {
        case .adam:
            beta1Power *= beta1
            beta2Power *= beta2
            let firstCorrection = 1 / (1 - beta1Power), secondCorrection = 1 / (1 - beta2Power)
            let m = moments, v = moments + count
            for i in 0..<count {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let delta = alpha * (m[i] * firstCorrection) / ((v[i] * secondCorrection).squareRoot() + epsilon)
                y[i] -= delta
                length2 += delta * delta
            }
        case .sgd:
            let velocity = moments
            for i in 0..<count {
                velocity[i] = min(max(beta * velocity[i] - eta * g[i], -sgdStepLimit), sgdStepLimit)
                y[i] += velocity[i]
                length2 += velocity[i] * velocity[i]
            }
        }
        return length2
    }
}
