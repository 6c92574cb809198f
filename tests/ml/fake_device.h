#pragma once
/**
 * \file fake_device.h
 * \brief A stand-in accelerator for machines without one: LibTorch's PrivateUse1 device ("privateuseone:0"),
 *        computed on the CPU, that refuses what CUDA refuses.
 *
 * Include it in exactly one test executable (it registers a device guard and kernels). Tensors on kFake keep
 * their numbers in CPU memory that their own storage does not point at (its data pointer is null), so:
 *  - every operator reaches one boxed fallback, which runs it on CPU views of the fake tensors and hands the
 *    results back as fake tensors;
 *  - an operator that gets a fake tensor beside a CPU tensor of one or more dimensions fails, as on CUDA
 *    (0-d CPU tensors are scalars there too, and copies between the devices are transfers);
 *  - filling a fake tensor from a CPU generator fails, as LibTorch refuses a CPU generator for a CUDA tensor;
 *  - data_ptr() and accessor() of a fake tensor throw ("data is not allocated"), as host code must not read
 *    device memory.
 * Module::to refuses this device type (set_data accepts only CPU/CUDA-like tensors), so modules move with
 * to_fake(). Tested against LibTorch 1.13; the pieces used (boxed fallback, NoOpDeviceGuardImpl,
 * shallow_copy_from) exist unchanged in 2.x.
 */
#include <ATen/core/LegacyTypeDispatch.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/library.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fakedev {

inline const c10::Device kFake(c10::DeviceType::PrivateUse1, 0);

inline bool isFake(const at::Tensor& t) {
    return t.defined() && t.device().type() == c10::DeviceType::PrivateUse1;
}

/** The CPU storage behind a fake tensor (held by its storage's data-pointer context). */
inline const c10::Storage& cpuStorageOf(const at::Tensor& fake) {
    return *static_cast<const c10::Storage*>(fake.storage().unsafeGetStorageImpl()->data_ptr().get_context());
}

/** A fake tensor over the storage of CPU tensor `c` (same memory, sizes, strides and offset). */
inline at::Tensor wrap(const at::Tensor& c) {
    auto* holder = new c10::Storage(c.storage());
    c10::DataPtr data(
        nullptr, holder, [](void* ctx) { delete static_cast<c10::Storage*>(ctx); }, kFake);
    c10::Storage storage(c10::Storage::use_byte_size_t(), static_cast<int64_t>(holder->nbytes()),
                         std::move(data), nullptr, false);
    auto impl = c10::make_intrusive<c10::TensorImpl>(
        std::move(storage), c10::DispatchKeySet(c10::DispatchKey::PrivateUse1), c.dtype());
    impl->set_sizes_and_strides(c.sizes(), c.strides());
    impl->set_storage_offset(c.storage_offset());
    return at::Tensor(std::move(impl));
}

/** A CPU tensor over the memory of fake tensor `f`. */
inline at::Tensor cpuView(const at::Tensor& f) {
    auto impl = c10::make_intrusive<c10::TensorImpl>(c10::Storage(cpuStorageOf(f)),
                                                     c10::DispatchKeySet(c10::DispatchKey::CPU), f.dtype());
    impl->set_sizes_and_strides(f.sizes(), f.strides());
    impl->set_storage_offset(f.storage_offset());
    return at::Tensor(std::move(impl));
}

inline void fallback(const c10::OperatorHandle& op, torch::jit::Stack* stack) {
    const auto& schema = op.schema();
    const size_t nargs = schema.arguments().size();
    const size_t base = stack->size() - nargs;
    const std::string name =
        schema.operator_name().name + (schema.overload_name().empty() ? "" : "." + schema.overload_name());

    bool hasFake = false;
    int deviceArg = 0; // 0: none given, 1: the fake device, 2: another device
    for (size_t i = base; i < stack->size(); ++i) {
        const c10::IValue& v = (*stack)[i];
        if (v.isTensor()) {
            hasFake = hasFake || isFake(v.toTensor());
        } else if (v.isTensorList()) {
            for (const at::Tensor& t : v.toTensorList())
                hasFake = hasFake || isFake(t);
        } else if (v.isList()) {
            for (const c10::IValue& e : v.toListRef())
                hasFake = hasFake || (e.isTensor() && isFake(e.toTensor()));
        } else if (v.isDevice()) {
            deviceArg = v.toDevice().type() == c10::DeviceType::PrivateUse1 ? 1 : 2;
        }
    }
    const bool onFake = hasFake || deviceArg == 1;
    const bool transfer = name == "aten::copy_" || name == "aten::_copy_from" ||
                          name == "aten::_copy_from_and_resize" || name == "aten::_to_copy";
    auto refuse = [&](const at::Tensor& t, size_t i) {
        if (onFake && !transfer && t.defined() && !isFake(t) && t.dim() > 0)
            throw std::runtime_error("fake device: " + name + " got a " + t.device().str() +
                                     " tensor of shape " + c10::str(t.sizes()) + " as '" +
                                     schema.arguments()[i - base].name() +
                                     "' beside fake-device tensors (CUDA refuses this)");
    };
    std::vector<std::pair<at::Tensor, at::Tensor>> views; // (fake argument, its CPU view)
    auto toCpu = [&](const at::Tensor& t) -> at::Tensor {
        if (!isFake(t))
            return t;
        for (const auto& p : views)
            if (p.first.unsafeGetTensorImpl() == t.unsafeGetTensorImpl())
                return p.second;
        views.emplace_back(t, cpuView(t));
        return views.back().second;
    };
    for (size_t i = base; i < stack->size(); ++i) {
        c10::IValue& v = (*stack)[i];
        if (v.isTensor()) {
            refuse(v.toTensor(), i);
            v = toCpu(v.toTensor());
        } else if (v.isTensorList()) {
            c10::List<at::Tensor> out;
            for (const at::Tensor& t : v.toTensorList()) {
                refuse(t, i);
                out.push_back(toCpu(t));
            }
            v = out;
        } else if (v.isList()) {
            bool tensors = false;
            for (const c10::IValue& e : v.toListRef())
                tensors = tensors || e.isTensor();
            if (tensors) { // Tensor?[] (indexing)
                c10::List<c10::optional<at::Tensor>> out;
                for (const c10::IValue& e : v.toListRef()) {
                    if (e.isTensor()) {
                        refuse(e.toTensor(), i);
                        out.push_back(toCpu(e.toTensor()));
                    } else {
                        out.push_back(c10::nullopt);
                    }
                }
                v = out;
            }
        } else if (v.isDevice() && v.toDevice().type() == c10::DeviceType::PrivateUse1) {
            v = c10::IValue(c10::Device(c10::kCPU));
        } else if (v.isGenerator() && onFake &&
                   v.toGenerator().device().type() != c10::DeviceType::PrivateUse1) {
            throw std::runtime_error("fake device: " + name + " fills a fake-device tensor from a " +
                                     v.toGenerator().device().str() + " generator (CUDA refuses this)");
        }
    }

    {
        at::AutoDispatchBelowADInplaceOrView belowAutograd;
        if (name == "aten::_copy_from" || name == "aten::_copy_from_and_resize") {
            // _copy_from(self = source, dst, non_blocking): the transfer itself, between the CPU views.
            const at::Tensor src = (*stack)[base].toTensor();
            at::Tensor dst = (*stack)[base + 1].toTensor();
            if (name == "aten::_copy_from_and_resize")
                dst.resize_(src.sizes());
            dst.copy_(src);
            torch::jit::drop(*stack, nargs);
            torch::jit::push(*stack, dst);
        } else if (name == "aten::convolution_overrideable") {
            // Devices other than CPU/CUDA get convolutions through this hook, with aten::convolution's
            // arguments.
            static const auto convolution =
                c10::Dispatcher::singleton().findSchemaOrThrow("aten::convolution", "");
            convolution.callBoxed(stack);
        } else if (name == "aten::convolution_backward_overrideable") {
            // Its backward likewise: aten::convolution_backward's arguments less bias_sizes (the bias has
            // one entry per output channel).
            const c10::IValue* a = &(*stack)[base];
            const at::Tensor grad = a[0].toTensor(), input = a[1].toTensor(), weight = a[2].toTensor();
            const bool transposed = a[6].toBool();
            const std::vector<int64_t> biasSizes{transposed ? weight.size(1) * a[8].toInt() : weight.size(0)};
            const auto mask = a[9].toBoolList();
            const auto r =
                at::convolution_backward(grad, input, weight, c10::IntArrayRef(biasSizes), a[3].toIntVector(),
                                         a[4].toIntVector(), a[5].toIntVector(), transposed,
                                         a[7].toIntVector(), a[8].toInt(), {mask[0], mask[1], mask[2]});
            torch::jit::drop(*stack, nargs);
            torch::jit::push(*stack, std::get<0>(r), std::get<1>(r), std::get<2>(r));
        } else {
            op.callBoxed(stack);
        }
    }

    // A CPU kernel may have resized an output argument (out= variants, resize_): the fake follows its view.
    for (const auto& [fake, view] : views) {
        if (view.sizes() != fake.sizes() || view.strides() != fake.strides() ||
            view.storage_offset() != fake.storage_offset() ||
            view.storage().unsafeGetStorageImpl() != cpuStorageOf(fake).unsafeGetStorageImpl()) {
            const at::Tensor rewrapped = wrap(view);
            fake.unsafeGetTensorImpl()->set_storage_keep_dtype(rewrapped.storage());
            fake.unsafeGetTensorImpl()->set_sizes_and_strides(view.sizes(), view.strides());
            fake.unsafeGetTensorImpl()->set_storage_offset(view.storage_offset());
        }
    }
    const bool wrapResults = deviceArg == 1 || (deviceArg == 0 && hasFake);
    auto back = [&](const at::Tensor& t) -> at::Tensor {
        if (!t.defined())
            return t;
        for (const auto& p : views)
            if (p.second.unsafeGetTensorImpl() == t.unsafeGetTensorImpl())
                return p.first; // in-place and out= results are the fake argument itself
        return wrapResults && !isFake(t) ? wrap(t) : t;
    };
    for (size_t i = stack->size() - schema.returns().size(); i < stack->size(); ++i) {
        c10::IValue& v = (*stack)[i];
        if (v.isTensor()) {
            v = back(v.toTensor());
        } else if (v.isTensorList()) {
            c10::List<at::Tensor> out;
            for (const at::Tensor& t : v.toTensorList())
                out.push_back(back(t));
            v = out;
        }
    }
}

/** Moves a module's parameters and buffers to the fake device in place (every handle to them follows). */
inline void to_fake(torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (auto& p : module.parameters(true))
        p.unsafeGetTensorImpl()->shallow_copy_from(wrap(p.detach().clone()).getIntrusivePtr());
    for (auto& b : module.buffers(true))
        b.unsafeGetTensorImpl()->shallow_copy_from(wrap(b.detach().clone()).getIntrusivePtr());
}

} // namespace fakedev

C10_REGISTER_GUARD_IMPL(PrivateUse1, c10::impl::NoOpDeviceGuardImpl<c10::DeviceType::PrivateUse1>);

TORCH_LIBRARY_IMPL(_, PrivateUse1, m) {
    m.fallback(torch::CppFunction::makeFromBoxedFunction<&fakedev::fallback>());
}

// convolution_overrideable and its backward have default kernels (they throw) that would win over the
// fallback.
TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
    m.impl("convolution_overrideable", torch::CppFunction::makeFromBoxedFunction<&fakedev::fallback>());
    m.impl("convolution_backward_overrideable",
           torch::CppFunction::makeFromBoxedFunction<&fakedev::fallback>());
}
